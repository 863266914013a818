package dev.mo.agent.firewall;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.agent.HostCommand;
import dev.mo.model.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules that keep published ports to the other nodes, and the iptables commands that load them. */
class PublishedPortsFirewallTest {
    /** Records every command; answers with {@code answer}. */
    static final class Recorder implements HostCommand.Runner {
        final List<String> commands = new ArrayList<>();
        final List<String> stdins = new ArrayList<>();
        Function<String, HostCommand.Result> answer = c -> new HostCommand.Result(0, "");

        @Override
        public HostCommand.Result run(List<String> command, String stdin) {
            String line = String.join(" ", command);
            commands.add(line);
            if (stdin != null) stdins.add(stdin);
            return answer.apply(line);
        }
    }

    static ObjectNode node(String name, String address) {
        return Json.parse("""
                {"kind":"Node","metadata":{"name":"%s"},"status":{"addresses":[
                  {"type":"InternalIP","address":"%s"},{"type":"Hostname","address":"%s"}]}}""".formatted(name, address, name));
    }

    @Test
    void theChainLetsTheOtherNodesThisNodeAndItsContainersThroughAndDropsTheRest() {
        PublishedPortsRules rules = new PublishedPortsRules("10.0.0.2", List.of("10.0.0.3", "10.0.0.2", "10.0.0.1"), 32768, 60999);
        assertEquals(List.of("10.0.0.1", "10.0.0.3"), rules.peers(), "itself is not a peer; sorted");
        assertEquals("""
                *filter
                :MO-PUBLISHED-PORTS - [0:0]
                -A MO-PUBLISHED-PORTS -i docker0 -j RETURN
                -A MO-PUBLISHED-PORTS -i br-+ -j RETURN
                -A MO-PUBLISHED-PORTS -s 10.0.0.2/32 -j RETURN
                -A MO-PUBLISHED-PORTS -s 10.0.0.1/32 -j RETURN
                -A MO-PUBLISHED-PORTS -s 10.0.0.3/32 -j RETURN
                -A MO-PUBLISHED-PORTS -j DROP
                COMMIT
                """, rules.chain());
        assertEquals("-p tcp -m conntrack --ctorigdst 10.0.0.2 --ctorigdstport 32768:60999 -j MO-PUBLISHED-PORTS",
                String.join(" ", rules.jump()));
    }

    @Test
    void itLoadsTheChainOnceAndAgainOnlyWhenTheNodesChange() {
        Recorder host = new Recorder();
        // The jump is not in DOCKER-USER yet: -C fails, so it is inserted first in the chain.
        host.answer = c -> c.contains(" -C ") ? new HostCommand.Result(1, "Bad rule") : new HostCommand.Result(0, "");
        PublishedPortsFirewall firewall = new PublishedPortsFirewall("10.0.0.2", new int[]{32768, 60999}, host);
        assertTrue(firewall.sync(List.of(node("h1", "10.0.0.1"), node("h2", "10.0.0.2"))));
        String jump = "-p tcp -m conntrack --ctorigdst 10.0.0.2 --ctorigdstport 32768:60999 -j MO-PUBLISHED-PORTS";
        assertEquals(List.of("iptables-restore -w --noflush", "iptables -w -L DOCKER-USER -n",
                "iptables -w -C DOCKER-USER " + jump, "iptables -w -I DOCKER-USER 1 " + jump), host.commands);
        assertTrue(host.stdins.get(0).contains("-A MO-PUBLISHED-PORTS -s 10.0.0.1/32 -j RETURN\n"), host.stdins.get(0));

        host.commands.clear();
        assertTrue(firewall.sync(List.of(node("h2", "10.0.0.2"), node("h1", "10.0.0.1"))));
        assertEquals(List.of(), host.commands, "the same peers: nothing to do");

        host.answer = c -> new HostCommand.Result(0, "");
        assertTrue(firewall.sync(List.of(node("h1", "10.0.0.1"), node("h2", "10.0.0.2"), node("h3", "10.0.0.3"))));
        assertEquals(List.of("iptables-restore -w --noflush", "iptables -w -L DOCKER-USER -n", "iptables -w -C DOCKER-USER " + jump),
                host.commands, "a node joined: the chain is loaded anew, the jump is there already");
        assertTrue(host.stdins.get(1).contains("-s 10.0.0.3/32"), host.stdins.get(1));
    }

    @Test
    void aRefusedLoadIsTriedAgainAtTheNextHeartbeat() {
        Recorder host = new Recorder();
        host.answer = c -> new HostCommand.Result(c.startsWith("iptables-restore") ? 1 : 0, "Permission denied");
        PublishedPortsFirewall firewall = new PublishedPortsFirewall("10.0.0.2", new int[]{32768, 60999}, host);
        assertFalse(firewall.sync(List.of(node("h1", "10.0.0.1"))));
        host.answer = c -> new HostCommand.Result(0, "");
        assertTrue(firewall.sync(List.of(node("h1", "10.0.0.1"))));
        assertEquals(2, host.commands.stream().filter(c -> c.startsWith("iptables-restore")).count());
    }

    @Test
    void leftoversOfAnEarlierRunAreRemovedAndNothingElse() {
        Recorder host = new Recorder();
        host.answer = c -> c.contains(" -S ") ? new HostCommand.Result(0, """
                -N DOCKER-USER
                -A DOCKER-USER -p tcp -m conntrack --ctorigdst 10.0.0.2 --ctorigdstport 32768:60999 -j MO-PUBLISHED-PORTS
                -A DOCKER-USER -s 192.168.7.0/24 -j DROP
                -A DOCKER-USER -j RETURN""") : new HostCommand.Result(0, "");
        PublishedPortsFirewall.removeLeftovers(host);
        assertEquals(List.of("iptables -w -S DOCKER-USER",
                "iptables -w -D DOCKER-USER -p tcp -m conntrack --ctorigdst 10.0.0.2 --ctorigdstport 32768:60999 -j MO-PUBLISHED-PORTS",
                "iptables -w -F MO-PUBLISHED-PORTS", "iptables -w -X MO-PUBLISHED-PORTS"), host.commands);

        Recorder clean = new Recorder();
        clean.answer = c -> new HostCommand.Result(0, "-N DOCKER-USER\n-A DOCKER-USER -j RETURN");
        PublishedPortsFirewall.removeLeftovers(clean);
        assertEquals(List.of("iptables -w -S DOCKER-USER"), clean.commands, "no jump of mo's: nothing touched");
    }

    @Test
    void onlyIpv4NodeAddressesAreTaken() {
        assertThrows(IllegalArgumentException.class, () -> new PublishedPortsFirewall("fd00::2", new int[]{1, 2}, new Recorder()));
        assertEquals(List.of("10.0.0.1"), PublishedPortsFirewall.peerAddresses(List.of(node("a", "10.0.0.1"), node("b", "fd00::3"))));
    }
}
