package io.hybridlake.triggers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridlake.batch.BatchJobs;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The custom handler's timer triggers ({@code functions/<name>Timer}, schedules from app settings):
 * the same jobs, over every pipeline, as the local scheduler ({@link BatchSchedules}) runs.
 */
@Singleton
public class CustomHandlerTimers {
    private static final Logger LOG = Logger.getLogger(CustomHandlerTimers.class);

    @Inject
    BatchJobs batchJobs;

    @Inject
    ObjectMapper json;

    /** {@code %MERGE_SCHEDULE%}: MERGE, then the curated tables. */
    @Funq("MergeTimer")
    public InvocationResult mergeTimer(Invocation request) {
        return timer("MergeTimer", request, BatchJobs.Job.MERGE, BatchJobs.Job.CURATE);
    }

    /** {@code %COMPACT_SCHEDULE%}. */
    @Funq("CompactTimer")
    public InvocationResult compactTimer(Invocation request) {
        return timer("CompactTimer", request, BatchJobs.Job.COMPACT);
    }

    /** {@code %VACUUM_SCHEDULE%}. */
    @Funq("VacuumTimer")
    public InvocationResult vacuumTimer(Invocation request) {
        return timer("VacuumTimer", request, BatchJobs.Job.VACUUM);
    }

    /** {@code %LANDING_SCAN_SCHEDULE%}: the landing zone on ADLS. */
    @Funq("LandingScanTimer")
    public InvocationResult landingScanTimer(Invocation request) {
        return timer("LandingScanTimer", request, BatchJobs.Job.LANDING_SCAN);
    }

    /**
     * A timer (binding {@code timer}, a singleton across instances; the host does not retry it). A
     * past-due run (the app was down) is said in the log and runs now: each job catches up with whatever
     * accumulated, and re-running is harmless. A table that failed fails the invocation (the host logs
     * it) after the others ran.
     */
    private InvocationResult timer(String name, Invocation request, BatchJobs.Job... jobs) {
        InvocationResult result = new InvocationResult();
        if (request != null && request.data.getOrDefault("timer", json.createObjectNode()).path("IsPastDue").asBoolean()) {
            result.logs.add("past due: the previous run was missed; catching up now");
            LOG.warnf("%s is past due: the previous run was missed; catching up now", name);
        }
        List<BatchJobs.Run> runs = new ArrayList<>();
        for (BatchJobs.Job job : jobs) {
            BatchJobs.Run run = batchJobs.run(job);
            runs.add(run);
            result.logs.add(job.label() + ": " + run.parts().size() + " pipelines, " + run.count() + " records or files"
                    + (run.failures().isEmpty() ? "" : ", failed: " + run.failures().stream().map(BatchJobs.Part::table)
                            .toList()));
        }
        result.returnValue = runs;
        runs.forEach(BatchJobs.Run::requireSucceeded);
        return result;
    }
}
