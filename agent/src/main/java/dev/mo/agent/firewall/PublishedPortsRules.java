package dev.mo.agent.firewall;

import java.util.List;

/**
 * The iptables rules that keep a node's published container ports to the other nodes. mo
 * publishes each container port on the node's address with a port Docker picks from the
 * kernel's ephemeral range (32768-60999 by default), and the other nodes' proxies connect there;
 * nobody else needs to. Docker forwards a published port to its container before the host's
 * {@code INPUT} chain sees it, so the rules go where Docker sends forwarded traffic first, its
 * {@code DOCKER-USER} chain: one jump for connections that were addressed to the node's
 * address and a port of that range, into a chain of this node's own that lets the other nodes,
 * the node itself and its own containers through and drops the rest. The Ingress port, the
 * node ports (30000-32767) and the agent's endpoint are not in that range and stay open.
 *
 * <p>A pure value: {@link #chain()} is the chain's whole content in {@code iptables-restore}
 * form (loaded in one step, so there is no moment with half a chain), {@link #jump()} the rule
 * in {@code DOCKER-USER}.
 */
public record PublishedPortsRules(String nodeAddress, List<String> peers, int firstPort, int lastPort) {
    public static final String CHAIN = "MO-PUBLISHED-PORTS";
    public static final String DOCKER_USER = "DOCKER-USER";

    public PublishedPortsRules {
        peers = peers.stream().filter(p -> !p.equals(nodeAddress)).distinct().sorted().toList();
    }

    /** The arguments of the rule in DOCKER-USER that sends this node's published-port traffic to {@link #CHAIN}. */
    public List<String> jump() {
        return List.of("-p", "tcp", "-m", "conntrack", "--ctorigdst", nodeAddress,
                "--ctorigdstport", firstPort + ":" + lastPort, "-j", CHAIN);
    }

    /** The chain, for {@code iptables-restore --noflush}: declaring it empties it, then it is filled. */
    public String chain() {
        StringBuilder s = new StringBuilder("*filter\n:" + CHAIN + " - [0:0]\n");
        // The node's own containers (a container reaching a port published on its own host).
        s.append("-A ").append(CHAIN).append(" -i docker0 -j RETURN\n");
        s.append("-A ").append(CHAIN).append(" -i br-+ -j RETURN\n");
        s.append("-A ").append(CHAIN).append(" -s ").append(nodeAddress).append("/32 -j RETURN\n");
        for (String peer : peers) s.append("-A ").append(CHAIN).append(" -s ").append(peer).append("/32 -j RETURN\n");
        s.append("-A ").append(CHAIN).append(" -j DROP\n");
        return s.append("COMMIT\n").toString();
    }
}
