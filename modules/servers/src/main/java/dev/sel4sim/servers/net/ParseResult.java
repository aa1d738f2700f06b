package dev.sel4sim.servers.net;

import java.util.function.Function;

/** The outcome of parsing untrusted bytes: the value, or why it was refused. Never an exception. */
public sealed interface ParseResult<T> {
    record Ok<T>(T value) implements ParseResult<T> {}

    record Failed<T>(ParseError error) implements ParseResult<T> {}

    static <T> ParseResult<T> ok(T value) {
        return new Ok<>(value);
    }

    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The value; for tests and callers that have checked {@link #isOk()}. */
    default T value() {
        return switch (this) {
            case Ok<T> ok -> ok.value();
            case Failed<T> f -> throw new IllegalStateException("no value: " + f.error());
        };
    }

    /** The error, or null when parsing succeeded. */
    default ParseError error() {
        return this instanceof Failed<T> f ? f.error() : null;
    }

    /** Parses the next layer from a successful value; a failure passes through. */
    default <U> ParseResult<U> then(Function<T, ParseResult<U>> next) {
        return switch (this) {
            case Ok<T> ok -> next.apply(ok.value());
            case Failed<T> f -> new Failed<>(f.error());
        };
    }
}
