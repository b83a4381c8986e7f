package io.hybridlake.triggers.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.hybridlake.triggers.CustomHandlerTimers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The batch jobs' timers on the Java worker, the same as the local scheduler's, each on the schedule of
 * its app setting (the Bicep's); the worker runs a timer as a singleton, and {@code IsPastDue} is in the
 * timer's JSON. {@code AzureTimersMatchTheLocalScheduleTest} fails when a local job has no timer here.
 */
@ApplicationScoped
public class JvmTimerFunctions {
    @Inject
    CustomHandlerTimers timers;

    @Inject
    ObjectMapper json;

    /** MERGE into refined/merged, then the curated builds. */
    @FunctionName("MergeTimer")
    public void mergeTimer(@TimerTrigger(name = "timer", schedule = "%MERGE_SCHEDULE%") String timer,
            ExecutionContext context) throws Exception {
        JvmInvocations.log(context, timers.mergeTimer(JvmInvocations.timer(json, timer)));
    }

    @FunctionName("CompactTimer")
    public void compactTimer(@TimerTrigger(name = "timer", schedule = "%COMPACT_SCHEDULE%") String timer,
            ExecutionContext context) throws Exception {
        JvmInvocations.log(context, timers.compactTimer(JvmInvocations.timer(json, timer)));
    }

    @FunctionName("VacuumTimer")
    public void vacuumTimer(@TimerTrigger(name = "timer", schedule = "%VACUUM_SCHEDULE%") String timer,
            ExecutionContext context) throws Exception {
        JvmInvocations.log(context, timers.vacuumTimer(JvmInvocations.timer(json, timer)));
    }

    @FunctionName("LandingScanTimer")
    public void landingScanTimer(@TimerTrigger(name = "timer", schedule = "%LANDING_SCAN_SCHEDULE%") String timer,
            ExecutionContext context) throws Exception {
        JvmInvocations.log(context, timers.landingScanTimer(JvmInvocations.timer(json, timer)));
    }
}
