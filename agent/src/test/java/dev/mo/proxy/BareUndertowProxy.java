package dev.mo.proxy;

import io.undertow.Undertow;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import java.net.URI;
import java.time.Duration;

/**
 * The baseline row of {@code bench/proxy/run.sh}: Undertow's own ProxyHandler with one I/O
 * thread and a fixed upstream, no routing, no timeouts, no headers of mo's. It shows what
 * mo's routing and safety nets cost on top of the library they are built on.
 *
 * <p>Usage: {@code BareUndertowProxy PORT UPSTREAM_IP:PORT [ioThreads=1] [maxSeconds=600]}
 */
public final class BareUndertowProxy {
    public static void main(String[] args) throws Exception {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        int port = Integer.parseInt(args[0]);
        int ioThreads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long maxSeconds = args.length > 3 ? Long.parseLong(args[3]) : 600;
        LoadBalancingProxyClient client = new LoadBalancingProxyClient()
                .addHost(new URI("http://" + args[1]))
                .setConnectionsPerThread(64)
                .setSoftMaxConnectionsPerThread(64)
                .setMaxQueueSize(1024);
        Undertow server = Undertow.builder()
                .setIoThreads(ioThreads)
                .addHttpListener(port, "127.0.0.1")
                .setHandler(ProxyHandler.builder().setProxyClient(client)
                        .setNext(ResponseCodeHandler.HANDLE_404).build())
                .build();
        server.start();
        System.out.println("ready");
        Thread.sleep(Duration.ofSeconds(maxSeconds).toMillis()); // the script kills us long before
        server.stop();
        System.exit(0);
    }
}
