package dev.mo.proxy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The order in which one request tries its backends. */
class AttemptTest {
    static final Route ROUTE = new Route("shop", "web", "80",
            List.of("10.0.0.3:32001", "10.0.0.3:32002", "10.0.0.2:32001", "10.0.0.1:32001"));

    static List<String> walk(Attempt attempt, Runnable afterFirst) {
        List<String> order = new ArrayList<>();
        while (attempt.advance()) {
            order.add(attempt.backend);
            if (order.size() == 1) afterFirst.run();
        }
        return order;
    }

    @Test
    void itStartsAtItsTurnAndGoesRound() {
        assertEquals(List.of("10.0.0.2:32001", "10.0.0.1:32001", "10.0.0.3:32001", "10.0.0.3:32002"),
                walk(new Attempt(ROUTE, 2, b -> false), () -> {}));
    }

    @Test
    void backendsFoundUnreachableComeLast() {
        Set<String> unreachable = Set.of("10.0.0.2:32001");
        assertEquals(List.of("10.0.0.1:32001", "10.0.0.3:32001", "10.0.0.3:32002", "10.0.0.2:32001"),
                walk(new Attempt(ROUTE, 2, unreachable::contains), () -> {}));
    }

    @Test
    void aHostFoundSilentDuringTheWalkSteersTheNextTry() {
        // The first try, 10.0.0.3:32001, times out: its host is marked, so its other pod goes last.
        Set<String> silentHosts = new HashSet<>();
        Attempt attempt = new Attempt(ROUTE, 0, b -> silentHosts.contains(b.substring(0, b.indexOf(':'))));
        assertEquals(List.of("10.0.0.3:32001", "10.0.0.2:32001", "10.0.0.1:32001", "10.0.0.3:32002"),
                walk(attempt, () -> silentHosts.add("10.0.0.3")));
        assertFalse(attempt.advance(), "each backend once");
    }
}
