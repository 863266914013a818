package dev.mo.examples;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows one Service's Endpoints through the API's long poll (the one the agents use): the
 * fewest ready addresses seen, and when one pod left the ready addresses and came back.
 */
final class EndpointsWatch implements AutoCloseable {
    private final String pod;
    private final String service;
    private final LongPoll poll;
    volatile long removedAt, readmittedAt;
    volatile int minReady = Integer.MAX_VALUE;

    /** @param pod a pod whose leaving and coming back is timed, or "" for none */
    EndpointsWatch(MoProcess mo, String pod, String service) {
        this.pod = pod;
        this.service = service;
        this.poll = new LongPoll(mo, "/api/node/routing", this::observe);
    }

    EndpointsWatch start() {
        poll.start();
        return this;
    }

    private void observe(JsonNode routing) {
        long now = System.nanoTime();
        boolean podReady = false;
        int ready = 0;
        for (JsonNode ep : routing.path("endpoints")) {
            if (!service.equals(ep.at("/metadata/name").asText())) continue;
            for (JsonNode subset : ep.path("subsets")) {
                for (JsonNode a : subset.path("addresses")) {
                    ready++;
                    podReady |= pod.equals(a.at("/targetRef/name").asText());
                }
            }
        }
        minReady = Math.min(minReady, ready);
        if (pod.isEmpty()) return;
        if (!podReady && removedAt == 0) removedAt = now;
        if (podReady && removedAt != 0 && readmittedAt == 0) readmittedAt = now;
    }

    @Override
    public void close() {
        poll.close();
    }
}
