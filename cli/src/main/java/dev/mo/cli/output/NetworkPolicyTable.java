package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get networkpolicies}: POD-SELECTOR as a label selector, {@code <none>} when it selects every pod. */
final class NetworkPolicyTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return List.of("NAME", "POD-SELECTOR", "AGE");
    }

    @Override
    public List<String> row(ObjectNode policy, boolean wide, Clock clock) {
        return List.of(str(policy, "metadata.name"), formatSelector(policy.path("spec").path("podSelector")), age(policy, clock));
    }
}
