package dev.mo.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentConfigTest {
    @Test
    void aRelativeDataDirIsMadeAbsoluteBecauseDockerBindMountsNeedAbsolutePaths() {
        AgentConfig config = AgentConfig.of("n1", "127.0.0.1", "t").withDataDir(Path.of("state/../state/agent"));

        assertTrue(config.dataDir().isAbsolute(), config.dataDir().toString());
        assertEquals(Path.of("").toAbsolutePath().resolve("state/agent"), config.dataDir());
    }

    @Test
    void theDefaultDataDirIsUnderTheUsersHome() {
        AgentConfig config = AgentConfig.of("n1", "127.0.0.1", "t");

        assertEquals(Path.of(System.getProperty("user.home"), ".mo", "agent-n1").toAbsolutePath(), config.dataDir());
    }
}
