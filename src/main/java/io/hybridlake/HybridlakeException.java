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
}
