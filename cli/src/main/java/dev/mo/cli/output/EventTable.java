package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get events}, oldest first by lastTimestamp. */
final class EventTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        if (!wide) return List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
        return List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME");
    }

    @Override
    public List<String> row(ObjectNode e, boolean wide, Clock clock) {
        String firstSeen = has(e, "firstTimestamp") ? HumanDuration.since(str(e, "firstTimestamp"), clock)
                : HumanDuration.since(str(e, "eventTime"), clock);
        String lastSeen = has(e, "lastTimestamp") ? HumanDuration.since(str(e, "lastTimestamp"), clock) : firstSeen;
        long count = num(e, "count", 0);
        if (has(e, "series")) {
            lastSeen = HumanDuration.since(str(e, "series.lastObservedTime"), clock);
            count = num(e, "series.count", 0);
        } else if (count == 0) {
            count = 1;
        }
        String kind = str(e, "involvedObject.kind").toLowerCase(Locale.ROOT);
        String name = str(e, "involvedObject.name");
        String object = name.isEmpty() ? kind : kind + "/" + name;
        String message = str(e, "message").strip();
        if (!wide) return List.of(lastSeen, str(e, "type"), str(e, "reason"), object, message);
        return List.of(lastSeen, str(e, "type"), str(e, "reason"), object, str(e, "involvedObject.fieldPath"),
                source(e), message, firstSeen, String.valueOf(count), str(e, "metadata.name"));
    }

    @Override
    public List<ObjectNode> sorted(List<ObjectNode> items) {
        List<ObjectNode> copy = new ArrayList<>(items);
        copy.sort(Comparator.comparing(EventTable::lastSeen, Comparator.nullsFirst(Comparator.naturalOrder())));
        return copy;
    }

    /** When an event was last seen: lastTimestamp, else series.lastObservedTime, eventTime or firstTimestamp. */
    static Instant lastSeen(JsonNode e) {
        for (String path : List.of("lastTimestamp", "series.lastObservedTime", "eventTime", "firstTimestamp")) {
            if (has(e, path)) return HumanDuration.parse(str(e, path));
        }
        return null;
    }

    private static String source(JsonNode e) {
        String component = str(e, "source.component", str(e, "reportingComponent"));
        String host = str(e, "source.host", str(e, "reportingInstance"));
        if (component.isEmpty()) return "<unknown>";
        return host.isEmpty() ? component : component + ", " + host;
    }
}
