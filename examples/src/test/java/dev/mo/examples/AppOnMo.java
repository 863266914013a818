package dev.mo.examples;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What each end-to-end suite starts from: a {@code mo server} of its own (own state
 * directory, ports and node name), the example images built, and one app applied. Closing
 * deletes the app's namespace, stops the server and removes any container left on its node.
 */
final class AppOnMo implements AutoCloseable {
    final Path work;
    final MoProcess mo;
    final String node;
    final String namespace;
    /** The node's Ingress proxy, {@code http://127.0.0.1:PORT/}, or null when started without one. */
    final String ingress;
    final Path manifests;

    private AppOnMo(Path work, MoProcess mo, String node, String namespace, String ingress, Path manifests) {
        this.work = work;
        this.mo = mo;
        this.node = node;
        this.namespace = namespace;
        this.ingress = ingress;
        this.manifests = manifests;
    }

    static AppOnMo start(String name, String namespace, String manifests, boolean withIngress) throws Exception {
        Docker.buildHelloImages();
        Path work = Files.createTempDirectory("mo-" + name);
        String node = name + "-" + ProcessHandle.current().pid();
        int ingressPort = withIngress ? MoProcess.freePort() : 0;
        MoProcess mo = new MoProcess(work.resolve("state"), MoProcess.freePort(), node).withIngressPort(ingressPort);
        AppOnMo app = new AppOnMo(work, mo, node, namespace,
                withIngress ? "http://127.0.0.1:" + ingressPort + "/" : null, work.resolve("app.yaml"));
        mo.start();
        Files.writeString(app.manifests, manifests);
        MoProcess.Result r = mo.mo("apply", "-f", app.manifests.toString());
        if (r.exitCode() != 0) {
            app.close();
            throw new IllegalStateException("applying the app failed: " + r);
        }
        return app;
    }

    @Override
    public void close() throws Exception {
        try {
            mo.mo("delete", "namespace", namespace, "--timeout", "60");
        } finally {
            mo.close();
            Docker.removeAllWithLabel("mo.node=" + node);
        }
    }
}
