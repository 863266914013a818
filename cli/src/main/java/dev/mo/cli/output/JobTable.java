package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static dev.mo.cli.output.Fields.*;

/** {@code kubectl get jobs}, as kubectl 1.30 prints it (printJob): STATUS, COMPLETIONS, DURATION. */
final class JobTable implements KindTable {
    @Override
    public List<String> headers(boolean wide) {
        return KindTable.plusWide(wide, List.of("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"),
                List.of("CONTAINERS", "IMAGES", "SELECTOR"));
    }

    @Override
    public List<String> row(ObjectNode job, boolean wide, Clock clock) {
        List<String> base = List.of(str(job, "metadata.name"), status(job), completions(job), duration(job, clock),
                age(job, clock));
        String[] containers = containerNamesAndImages(job.path("spec").path("template").path("spec"));
        return KindTable.plusWide(wide, base,
                List.of(containers[0], containers[1], formatSelector(job.path("spec").path("selector"))));
    }

    /** The first that holds: Complete, Failed, Terminating (being deleted), Suspended, else Running. */
    static String status(JsonNode job) {
        if (Jobs.hasCondition(job, "Complete")) return "Complete";
        if (Jobs.hasCondition(job, "Failed")) return "Failed";
        if (has(job, "metadata.deletionTimestamp")) return "Terminating";
        if (Jobs.hasCondition(job, "Suspended")) return "Suspended";
        if (Jobs.hasCondition(job, "FailureTarget")) return "FailureTarget";
        return "Running";
    }

    /**
     * Succeeded of completions ({@code 2/3}); a work queue (no completions) shows {@code 0/1},
     * or {@code 0/1 of 3} when three pods run at a time.
     */
    static String completions(JsonNode job) {
        long succeeded = num(job, "status.succeeded", 0);
        if (has(job, "spec.completions")) return succeeded + "/" + num(job, "spec.completions", 1);
        long parallelism = num(job, "spec.parallelism", 1);
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    /** From startTime to completionTime, or to now while it runs; empty before it started. */
    static String duration(JsonNode job, Clock clock) {
        var start = HumanDuration.parse(str(job, "status.startTime", null));
        if (start == null) return "";
        var end = HumanDuration.parse(str(job, "status.completionTime", null));
        return HumanDuration.format(Duration.between(start, end == null ? clock.instant() : end));
    }
}
