package dev.mtlsprobe.kube;

/**
 * An object as a watch knows it: not listed yet ({@link #pending}), or listed, possibly as absent (null value).
 * The difference matters: "not listed yet" is "waiting for the API", "absent" is an answer.
 */
public record Listed<T>(boolean synced, T value) {

    public static <T> Listed<T> pending() {
        return new Listed<>(false, null);
    }

    public static <T> Listed<T> of(T value) {
        return new Listed<>(true, value);
    }
}
