package dev.mo.proxy;

import java.time.Duration;
import java.util.List;

/**
 * mo's HTTP proxy for {@code bench/proxy/run.sh}: listens on 127.0.0.1:PORT and sends every
 * request to one upstream, through a RoutingTable built from a Service, its Endpoints and a
 * host-less Ingress, as in a cluster. Stops by itself after {@code maxSeconds}.
 *
 * <p>Usage: {@code ProxyBenchServer PORT UPSTREAM_IP:PORT [ioThreads=1] [maxSeconds=600]}
 */
public final class ProxyBenchServer {
    public static void main(String[] args) throws Exception {
        System.setProperty("org.jboss.logging.provider", "slf4j"); // as `mo` does (cli Main)
        int port = Integer.parseInt(args[0]);
        String upstream = args[1];
        int ioThreads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long maxSeconds = args.length > 3 ? Long.parseLong(args[3]) : 600;

        String ip = upstream.substring(0, upstream.lastIndexOf(':'));
        int upstreamPort = Integer.parseInt(upstream.substring(upstream.lastIndexOf(':') + 1));
        RoutingTable table = RoutingTable.build(
                List.of(Objects.service("bench", "web", "ClusterIP", "172.28.128.10", """
                        [{"name":"http","port":80}]""")),
                List.of(Objects.endpoints("bench", "web", """
                        [{"addresses":[{"ip":"%s","nodeName":"n1"}],"ports":[{"name":"http","port":%d,"protocol":"TCP"}]}]"""
                        .formatted(ip, upstreamPort))),
                List.of(Objects.ingress("bench", "web", """
                        {"rules":[{"http":{"paths":[%s]}}]}""".formatted(Objects.path("/", "Prefix", "web", 80)))));

        ProxyOptions options = ProxyOptions.defaults().withIoThreads(ioThreads);
        HttpProxy proxy = HttpProxy.start("127.0.0.1", port, options);
        proxy.update(table);
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close));
        System.out.println("ready " + options);
        Thread.sleep(Duration.ofSeconds(maxSeconds).toMillis()); // the script kills us long before
        proxy.close();
        System.exit(0);
    }
}
