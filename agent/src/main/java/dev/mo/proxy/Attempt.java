package dev.mo.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One request's walk over its route's backends, starting at its round-robin turn. Backends
 * found unreachable a moment ago come last: tried only when every other one has failed. That
 * is judged at each step, so a failure during this walk (a connect that timed out marks its
 * whole host) already steers this request's next try.
 */
final class Attempt {
    final Route route;
    /** The backends not tried yet, in round-robin order from this request's turn. */
    private final List<String> remaining;
    private final Predicate<String> unreachable;
    final List<String> tried = new ArrayList<>();
    String backend;
    /** The current try got a pooled connection: if it fails, that may just be a stale keep-alive. */
    boolean reused;
    /** Retrying {@link #backend} on a new connection after a pooled one failed. */
    boolean fresh;

    Attempt(Route route, int start, Predicate<String> unreachable) {
        this.route = route;
        this.unreachable = unreachable;
        List<String> all = route.backends();
        this.remaining = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) remaining.add(all.get((start + i) % all.size()));
    }

    /** Moves to the next backend to try (or retries a failed pooled connection fresh); false when none is left. */
    boolean advance() {
        if (backend != null && reused) {
            reused = false;
            fresh = true;
            return true;
        }
        if (remaining.isEmpty()) return false;
        int pick = 0;
        while (pick < remaining.size() && unreachable.test(remaining.get(pick))) pick++;
        backend = remaining.remove(pick < remaining.size() ? pick : 0);
        fresh = false;
        tried.add(backend);
        return true;
    }
}
