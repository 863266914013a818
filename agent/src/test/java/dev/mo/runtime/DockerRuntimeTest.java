package dev.mo.runtime;

import com.github.dockerjava.api.DockerClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DockerRuntime} against the real engine. */
class DockerRuntimeTest {
    private static final String TEST_LABEL = "mo.test-run";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static DockerClient docker;
    private static DockerRuntime runtime;

    @BeforeAll
    static void setUp() throws Exception {
        docker = TestImages.client();
        TestImages.buildHttpd(docker);
        runtime = DockerRuntime.connect(DockerRuntime.DEFAULT_HOST);
    }

    @AfterAll
    static void tearDown() throws Exception {
        TestImages.removeAll(docker, TEST_LABEL, RUN);
        runtime.close();
        docker.close();
    }

    private static ContainerSpec spec(String name, List<String> command, List<String> args) {
        return new ContainerSpec("mo-test-" + name + "-" + RUN, TestImages.HTTPD, command, args, Map.of("GREETING", "hi"),
                null, "web-abc", Map.of(TEST_LABEL, RUN, "which", name), List.of(new PortSpec(8080, "TCP")), "127.0.0.1", List.of());
    }

    @Test
    void engineInfoIsReal() {
        EngineInfo info = runtime.engineInfo();
        assertTrue(info.cpus() > 0);
        assertTrue(info.memoryBytes() > 0);
        assertTrue(info.version().startsWith("20.10"), info.version());
    }

    @Test
    void runsInspectsLogsStopsAndRemoves() throws Exception {
        String id = runtime.createAndStart(spec("run", List.of("sh", "-c"),
                List.of("echo greeting $GREETING from $HOSTNAME; exec httpd -f -p 8080 -h /www")));
        ContainerInfo c = runtime.inspect(id).orElseThrow();
        assertTrue(c.running());
        assertEquals("mo-test-run-" + RUN, c.name());
        assertEquals(RUN, c.label(TEST_LABEL));
        assertFalse(c.ipAddress().isEmpty());
        assertTrue(c.publishedPorts().get("8080/TCP").matches("127\\.0\\.0\\.1:\\d+"), c.publishedPorts().toString());
        assertNotNull(c.startedAt());
        assertTrue(c.imageId().startsWith("sha256:"));
        assertEquals(List.of(id), runtime.list(Map.of(TEST_LABEL, RUN, "which", "run")).stream().map(ContainerInfo::id).toList());

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            runtime.logs(id, ContainerRuntime.LogOptions.all(), out);
            assertEquals("greeting hi from web-abc\n", out.toString(StandardCharsets.UTF_8));
        });

        runtime.stop(id, 1); // httpd as PID 1 ignores SIGTERM: killed after the 1 s grace
        ContainerInfo stopped = runtime.inspect(id).orElseThrow();
        assertEquals(ContainerInfo.State.EXITED, stopped.state());
        assertEquals(137, stopped.exitCode());
        assertNotNull(stopped.finishedAt());
        // list() reuses what it inspected while the container ran: it must see the stop.
        ContainerInfo listedAfterStop = runtime.list(Map.of(TEST_LABEL, RUN, "which", "run")).get(0);
        assertEquals(ContainerInfo.State.EXITED, listedAfterStop.state());
        assertEquals(137, listedAfterStop.exitCode());
        runtime.stop(id, 1); // stopping a stopped container is fine
        runtime.remove(id);
        assertTrue(runtime.inspect(id).isEmpty());
        runtime.remove(id); // and removing a removed one
    }

    @Test
    void exitCodeIsObserved() {
        String id = runtime.createAndStart(spec("exit", List.of("sh", "-c", "exit 3"), null));
        await().atMost(Duration.ofSeconds(5)).until(() -> !runtime.inspect(id).orElseThrow().running());
        assertEquals(3, runtime.inspect(id).orElseThrow().exitCode());
    }

    @Test
    void badCommandLeavesAContainerWithTheEngineError() {
        RuntimeOperationException e = assertThrows(RuntimeOperationException.class,
                () -> runtime.createAndStart(spec("badcmd", List.of("/no/such/binary"), null)));
        assertNotNull(e.containerId());
        ContainerInfo c = runtime.inspect(e.containerId()).orElseThrow();
        assertEquals(ContainerInfo.State.EXITED, c.state());
        assertTrue(c.error().contains("no such file"), c.error());
        assertTrue(e.getMessage().contains("/no/such/binary"), e.getMessage());
    }

    @Test
    void imagesAndPulls() {
        assertTrue(runtime.imagePresent(TestImages.HTTPD));
        assertFalse(runtime.imagePresent("mo-test/absent:1"));
        RuntimeOperationException e = assertThrows(RuntimeOperationException.class, () -> runtime.pullImage("mo-test/absent:1"));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void followStreamsUntilTheReaderHangsUp() throws Exception {
        String id = runtime.createAndStart(spec("follow", List.of("sh", "-c"),
                List.of("i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done")));
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        java.io.OutputStream hangsUpAfterThreeLines = new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                if (seen.toString(StandardCharsets.UTF_8).split("\n").length >= 3 && b == '\n') throw new java.io.IOException("reader gone");
                seen.write(b);
            }
        };
        long start = System.nanoTime();
        assertThrows(java.io.IOException.class,
                () -> runtime.logs(id, new ContainerRuntime.LogOptions(-1, true), hangsUpAfterThreeLines));
        assertTrue(seen.toString(StandardCharsets.UTF_8).startsWith("line 0\nline 1\nline 2"), seen.toString());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
        runtime.remove(id);
    }

    @Test
    void statsShowABusyLoopsCpuAndMemory() throws Exception {
        String id = runtime.createAndStart(spec("busy", List.of("sh", "-c"), List.of("while :; do :; done")));
        try {
            ContainerStats first = runtime.stats(id).orElseThrow();
            Thread.sleep(1500);
            ContainerStats second = runtime.stats(id).orElseThrow();
            long nanos = Duration.between(first.at(), second.at()).toNanos();
            assertTrue(nanos > 0, first + " then " + second);
            long millicores = (second.cpuNanos() - first.cpuNanos()) * 1000 / nanos;
            assertTrue(millicores > 100, "a busy loop uses more than 100m, got " + millicores + "m");
            assertTrue(second.memoryBytes() > 0, second.toString());
        } finally {
            runtime.remove(id);
        }
        assertTrue(runtime.stats(id).isEmpty(), "a removed container has no stats");
    }
}
