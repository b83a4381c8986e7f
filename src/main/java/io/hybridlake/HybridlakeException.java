package io.hybridlake;

/**
 * The one user-facing exception family. Messages say what failed, on what (table, file, key, offset,
 * config key) and, where it helps, what to do.
 */
public class HybridlakeException extends RuntimeException {
    private final String subject;

    public HybridlakeException(String subject, String message) {
        super(message);
        this.subject = subject;
    }

    public HybridlakeException(String subject, String message, Throwable cause) {
        super(message, cause);
        this.subject = subject;
    }

    /** What the error is about: a table, file, key or config key. */
    public String subject() {
        return subject;
    }

    /** The error kind as a short slug, used as the problem-details type. */
    public String kind() {
        return "error";
    }

    /** Something the caller named does not exist (table, pipeline, key). */
    public static class NotFound extends HybridlakeException {
        public NotFound(String subject, String message) {
            super(subject, message);
        }

        @Override
        public String kind() {
            return "not-found";
        }
    }

    /** The caller sent something invalid. */
    public static class BadRequest extends HybridlakeException {
        public BadRequest(String subject, String message) {
            super(subject, message);
        }

        @Override
        public String kind() {
            return "bad-request";
        }
    }

    /** The caller did not present a valid API key. */
    public static class Unauthorized extends HybridlakeException {
        public Unauthorized(String subject, String message) {
            super(subject, message);
        }

        @Override
        public String kind() {
            return "unauthorized";
        }
    }

    /** The caller's key is valid but its role does not allow this endpoint. */
    public static class Forbidden extends HybridlakeException {
        public Forbidden(String subject, String message) {
            super(subject, message);
        }

        @Override
        public String kind() {
            return "forbidden";
        }
    }

    /** A request or an answer is larger than a configured bound (the message names the bound). */
    public static class TooLarge extends HybridlakeException {
        public TooLarge(String subject, String message) {
            super(subject, message);
        }

        @Override
        public String kind() {
            return "too-large";
        }
    }

    /** Too much work of this kind is running; the caller may retry after {@link #retryAfterSeconds()}. */
    public static class TooBusy extends HybridlakeException {
        private final int retryAfterSeconds;

        public TooBusy(String subject, String message, int retryAfterSeconds) {
            super(subject, message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }

        @Override
        public String kind() {
            return "too-busy";
        }
    }

    /** The work ran past its time limit and was cancelled. */
    public static class TimedOut extends HybridlakeException {
        public TimedOut(String subject, String message) {
            super(subject, message);
        }

        @Override
        public String kind() {
            return "timed-out";
        }
    }
}
