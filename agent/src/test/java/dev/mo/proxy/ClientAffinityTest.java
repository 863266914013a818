package dev.mo.proxy;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClientAffinityTest {
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> BACKENDS = List.of("10.0.0.1:80", "10.0.0.2:80");

    @Test
    void aClientSticksWhileItKeepsConnectingWithinTheTimeout() throws Exception {
        ClientAffinity affinity = new ClientAffinity();
        InetAddress client = InetAddress.getByName("172.17.0.9");
        assertNull(affinity.backendOf(client, BACKENDS, TIMEOUT, T0), "a new client is placed by round robin");
        affinity.remember(client, "10.0.0.2:80", T0, TIMEOUT);
        assertEquals("10.0.0.2:80", affinity.backendOf(client, BACKENDS, TIMEOUT, T0.plusSeconds(59)));
        affinity.remember(client, "10.0.0.2:80", T0.plusSeconds(59), TIMEOUT);
        assertEquals("10.0.0.2:80", affinity.backendOf(client, BACKENDS, TIMEOUT, T0.plusSeconds(118)),
                "the timeout counts from the last connection");
        assertNull(affinity.backendOf(InetAddress.getByName("172.17.0.10"), BACKENDS, TIMEOUT, T0), "another client is not");
    }

    @Test
    void itEndsAfterTheTimeoutOrWhenTheBackendIsGone() throws Exception {
        ClientAffinity affinity = new ClientAffinity();
        InetAddress client = InetAddress.getByName("172.17.0.9");
        affinity.remember(client, "10.0.0.2:80", T0, TIMEOUT);
        assertNull(affinity.backendOf(client, BACKENDS, TIMEOUT, T0.plusSeconds(61)));

        affinity.remember(client, "10.0.0.2:80", T0, TIMEOUT);
        assertNull(affinity.backendOf(client, List.of("10.0.0.1:80", "10.0.0.3:80"), TIMEOUT, T0.plusSeconds(1)),
                "its backend left the Service's endpoints");
    }
}
