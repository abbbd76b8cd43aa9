package org.charnwood.app.repository;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The notices the relay sends every node: runs of sequence numbers, each notice under PostgreSQL's limit. */
class ChangeNoticesTests {

    @Test
    void aBatchIsSentAsRunsOfSequenceNumbersInOrder() {
        List<String> payloads = ChangeNotices.payloads("node-a", new long[]{45, 12, 13, 14, 43, 46, 40});

        assertThat(payloads).containsExactly("node-a:12-14,40,43,45-46");
    }

    @Test
    void aNoticeReadsBackAsTheNodeAndItsRuns() {
        ChangeNotices.Notice notice = ChangeNotices.parse("node-a:12-14,40,43,45-46");

        assertThat(notice.node()).isEqualTo("node-a");
        assertThat(notice.from()).containsExactly(12, 40, 43, 45);
        assertThat(notice.to()).containsExactly(14, 40, 43, 46);
    }

    @Test
    void aLongListIsSplitIntoNoticesPostgreSqlAccepts() {
        // Every other number: no runs, so the list is as long as it can be.
        long[] scattered = LongStream.range(0, 10_000).map(i -> 9_000_000_000L + 2 * i).toArray();

        List<String> payloads = ChangeNotices.payloads("node-a", scattered);

        assertThat(payloads).hasSizeGreaterThan(1);
        assertThat(payloads).allSatisfy(p -> assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThan(8000));
        long[] heard = payloads.stream().map(ChangeNotices::parse).flatMapToLong(n -> LongStream.of(n.from()))
                .toArray();
        assertThat(heard).containsExactly(scattered);
    }

    @Test
    void nothingDeliveredSendsNoNotice() {
        assertThat(ChangeNotices.payloads("node-a", new long[0])).isEmpty();
    }

    @Test
    void whatIsNotANoticeIsIgnored() {
        assertThat(ChangeNotices.parse(null)).isNull();
        assertThat(ChangeNotices.parse("no sequence numbers")).isNull();
        assertThat(ChangeNotices.parse("node-a:")).isNull();
        assertThat(ChangeNotices.parse(":12")).isNull();
        assertThat(ChangeNotices.parse("node-a:12-x")).isNull();
        assertThat(ChangeNotices.parse("node-a:14-12")).isNull();
    }
}
