package io.templateworker.api;

import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a worker on behalf of an HTTP caller, with the worker's failures in HTTP terms. */
public final class WorkerCalls {

    /** Longest an HTTP caller waits for a dispatch; past it the events still run, the caller gets 504. */
    public static final long WAIT_SECONDS = 30;

    private WorkerCalls() {
    }

    /**
     * The future's value. A stopped pool is 503 (retry once {@code /healthcheck} is 200 again), another worker failure
     * 502 with the worker's message, no answer within {@link #WAIT_SECONDS} 504.
     *
     * @param what the call, for messages ("event WebPing")
     */
    public static <T> T await(CompletableFuture<T> future, TenantId guild, String what) throws InterruptedException {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage() == null ? "the worker failed" : cause.getMessage();
            if (cause instanceof WorkerException && message.contains("stopped")) {
                throw new ApiException(503, ApiErrorCode.Unavailable, message + "; retry once /healthcheck answers 200")
                        .header("Retry-After", "5");
            }
            throw new ApiException(502, ApiErrorCode.UpstreamError, what + " for guild " + guild.idString() + " failed: " + message);
        } catch (TimeoutException e) {
            throw new ApiException(504, ApiErrorCode.UpstreamError, "guild " + guild.idString() + " did not answer " + what
                    + " within " + WAIT_SECONDS + " s; its templates may still be running");
        }
    }
}
