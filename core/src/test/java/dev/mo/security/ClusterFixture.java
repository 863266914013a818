package dev.mo.security;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A fresh cluster CA in a temporary {@code pki} directory, and the server's credentials for {@code mo.example.com}. */
abstract class ClusterFixture {
    @TempDir Path dir;
    ClusterCa ca;
    ServerCredentials server;

    @BeforeEach
    void makeCluster() throws Exception {
        ca = ClusterCa.loadOrCreate(dir.resolve("pki"), Clock.systemUTC());
        server = ca.serverCredentials(List.of("mo.example.com"));
    }
}
