package dev.mo.agent;

import org.junit.jupiter.api.Test;

import dev.mo.proxy.ProxyOptions;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentConfigTest {
    @Test
    void aRelativeDataDirIsMadeAbsoluteBecauseDockerBindMountsNeedAbsolutePaths() {
        AgentConfig config = AgentConfig.builder("n1").token("t").dataDir(Path.of("state/../state/agent")).build();

        assertTrue(config.dataDir().isAbsolute(), config.dataDir().toString());
        assertEquals(Path.of("").toAbsolutePath().resolve("state/agent"), config.dataDir());
    }

    @Test
    void theDefaultDataDirIsUnderTheUsersHome() {
        AgentConfig config = AgentConfig.of("n1", "127.0.0.1", "t");

        assertEquals(Path.of(System.getProperty("user.home"), ".mo", "agent-n1").toAbsolutePath(), config.dataDir());
    }

    @Test
    void everyOptionHasANamedDefault() {
        AgentConfig config = AgentConfig.builder("n1").build();

        assertEquals(AgentConfig.DEFAULT_ADDRESS, config.address());
        assertEquals(AgentConfig.DEFAULT_RESYNC, config.resyncInterval());
        assertEquals(AgentConfig.DEFAULT_HEARTBEAT_INTERVAL, config.heartbeatInterval());
        assertEquals(AgentConfig.DEFAULT_LONG_POLL, config.longPoll());
        assertEquals("unix:///var/run/docker.sock", config.dockerHost());
        assertEquals(0, config.ingressPort());
        assertEquals("", config.token());
    }

    @Test
    void toBuilderKeepsEveryOptionButTheOneChanged() {
        AgentConfig config = AgentConfig.builder("n1").address("10.0.0.2").dockerHost("unix:///d.sock").httpPort(7171)
                .token("t").resyncInterval(Duration.ofSeconds(3)).heartbeatInterval(Duration.ofSeconds(2))
                .longPoll(Duration.ofSeconds(4)).dataDir(Path.of("/tmp/a")).ingressPort(8081)
                .proxy(ProxyOptions.defaults().withMaxRequestBodyBytes(5)).build();

        AgentConfig changed = config.toBuilder().ingressPort(0).build();

        assertEquals(0, changed.ingressPort());
        assertEquals(config.address(), changed.address());
        assertEquals(config.dockerHost(), changed.dockerHost());
        assertEquals(config.httpPort(), changed.httpPort());
        assertEquals(config.token(), changed.token());
        assertEquals(config.resyncInterval(), changed.resyncInterval());
        assertEquals(config.heartbeatInterval(), changed.heartbeatInterval());
        assertEquals(config.longPoll(), changed.longPoll());
        assertEquals(config.dataDir(), changed.dataDir());
        assertEquals(5, changed.proxy().maxRequestBodyBytes());
    }
}
