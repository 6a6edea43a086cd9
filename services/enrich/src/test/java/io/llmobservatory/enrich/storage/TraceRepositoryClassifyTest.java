package io.llmobservatory.enrich.storage;

import io.vertx.pgclient.PgException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which database failures a client may retry. */
class TraceRepositoryClassifyTest {

    @ParameterizedTest(name = "SQLSTATE {0} retryable={1}")
    @CsvSource({
            "22021, false", // invalid byte sequence: the data will never be accepted
            "22P05, false", // untranslatable character
            "23502, false", // not-null violation
            "54000, false", // index row size exceeds the maximum: a value too long for its index, every time
            "57P01, true",  // admin shutdown
            "53300, true",  // too many connections
            "40001, true",  // serialization failure
            "08006, true"   // connection failure
    })
    void dataErrorsArePermanentAndTheRestRetryable(String sqlState, boolean retryable) {
        StorageException e = TraceRepository.classify(new PgException("msg", "ERROR", sqlState, "detail"));
        assertThat(e.retryable()).isEqualTo(retryable);
    }

    @org.junit.jupiter.api.Test
    void connectionFailuresAreRetryable() {
        assertThat(TraceRepository.classify(new ConnectException("refused")).retryable()).isTrue();
    }
}
