package dev.mo.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Extra Docker hosts on this machine for end-to-end tests, made and removed by
 * {@code scripts/test-hosts.sh}: each is a network namespace on the bridge {@code br-mo}
 * with its own address and its own {@code dockerd}. This machine is the first host,
 * {@link #FIRST_HOST} on that bridge.
 */
final class TestHosts implements AutoCloseable {
    static final String FIRST_HOST = "10.213.0.1";
    static final Path SCRIPT = Path.of(System.getProperty("mo.examples", ".")).resolve("../scripts/test-hosts.sh")
            .toAbsolutePath().normalize();

    /** One extra host: its name (h2, h3, ...), address on the bridge, Docker endpoint and network namespace. */
    record Host(String name, String address, String dockerHost, String netns) {
        /** A command line that runs in this host's network namespace. */
        List<String> inside(String... command) {
            List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns));
            cmd.addAll(Arrays.asList(command));
            return cmd;
        }

        /** {@code docker ARGS} against this host's engine. */
        String docker(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("docker", "-H", dockerHost));
            cmd.addAll(Arrays.asList(args));
            return Commands.run(cmd, 120);
        }
    }

    final List<Host> hosts;

    private TestHosts(List<Host> hosts) {
        this.hosts = hosts;
    }

    /** Makes {@code count} extra hosts (removing what an earlier run left first). */
    static TestHosts up(int count) throws IOException, InterruptedException {
        String listing = Commands.run(List.of("bash", SCRIPT.toString(), "up", Integer.toString(count)), 120);
        List<Host> hosts = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 4 && f[0].matches("h[0-9]+")) hosts.add(new Host(f[0], f[1], f[2], f[3]));
        }
        if (hosts.size() != count) throw new IllegalStateException("expected " + count + " hosts: " + listing);
        return new TestHosts(List.copyOf(hosts));
    }

    /** Stops the hosts' engines and removes the hosts, the bridge and the firewall rule. */
    @Override
    public void close() throws IOException, InterruptedException {
        Commands.run(List.of("bash", SCRIPT.toString(), "down"), 120);
    }
}
