package dev.mo.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.runtime.FakeRuntime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The started agent keeps up with 1,000 pods over the fake runtime (the control plane's benchmark shape). */
class FakeRuntimeScaleTest {
    @Test
    void thousandPodsRun() {
        FakeNodeApi api = new FakeNodeApi();
        FakeRuntime runtime = new FakeRuntime();
        for (int i = 0; i < 1000; i++) {
            ObjectNode pod = TestPods.pod("web-" + i, String.format("uid-%05d-x", i), "n1", "busybox:1");
            api.put(pod);
        }
        long start = System.nanoTime();
        try (NodeAgent agent = new NodeAgent(AgentConfig.of("n1", "127.0.0.1", ""), api, runtime, null, null, "http://x")) {
            agent.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> api.statuses.values().stream()
                    .filter(s -> "Running".equals(s.path("phase").asText())).count() == 1000);
        }
        assertEquals(1000, runtime.startCount());
        System.out.printf("1000 pods running on the fake runtime in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }
}
