package dev.mo.proxy;

import java.util.ArrayList;
import java.util.List;

/** One request's walk over its route's backends, starting at its round-robin turn. */
final class Attempt {
    final Route route;
    private final int start;
    private int next;
    final List<String> tried = new ArrayList<>();
    String backend;
    /** The current try got a pooled connection: if it fails, that may just be a stale keep-alive. */
    boolean reused;
    /** Retrying {@link #backend} on a new connection after a pooled one failed. */
    boolean fresh;

    Attempt(Route route, int start) {
        this.route = route;
        this.start = start;
    }

    /** Moves to the next backend to try (or retries a failed pooled connection fresh); false when none is left. */
    boolean advance() {
        if (backend != null && reused) {
            reused = false;
            fresh = true;
            return true;
        }
        List<String> all = route.backends();
        if (next >= all.size()) return false;
        backend = all.get((start + next++) % all.size());
        fresh = false;
        tried.add(backend);
        return true;
    }
}
