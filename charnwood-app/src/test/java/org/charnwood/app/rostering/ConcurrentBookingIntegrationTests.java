package org.charnwood.app.rostering;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.testing.CharnwoodIntegrationTest;
import org.charnwood.app.testing.TestTokens;
import org.charnwood.scheduling.roster.ShiftKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last place on a shift, wanted by many at the same moment: bank staff signed in on their own phones all
 * press "Book" together (released by one latch, over real HTTP to the running app). Exactly one gets it; everyone
 * else is told clearly it has gone. And one person pressing "Book" on two overlapping shifts at once ends up with
 * one of them, never both.
 */
class ConcurrentBookingIntegrationTests extends CharnwoodIntegrationTest {

    private static final int BOOKERS = 10;

    private RosteringFixture fixture;
    private final LocalDate nextWeek = RosteringFixture.today().plusDays(8);

    @BeforeEach
    void bankStaff() {
        fixture = new RosteringFixture(http, jdbc, tokens, port);
        fixture.clean();
        for (int i = 1; i <= BOOKERS; i++) {
            fixture.bankMember("bank-c" + i, 5, true);
        }
    }

    @Test
    void whenManyBookTheLastPlaceAtOnceExactlyOneGetsIt() throws Exception {
        long shift = fixture.vacancy(nextWeek, ShiftKind.NIGHT, false);
        List<RosteringFixture.Phone> phones = new ArrayList<>();
        for (int i = 1; i <= BOOKERS; i++) {
            RosteringFixture.Phone phone = fixture.phone(TestTokens.Caller.staff("Practitioner/bank-c" + i,
                    AccessRole.REGISTERED_NURSE));
            phone.get("/shifts");
            phones.add(phone);
        }

        List<HttpResponse<String>> answers = together(phones.stream()
                .map(p -> (java.util.concurrent.Callable<HttpResponse<String>>) () -> p.book(shift)).toList());

        assertThat(answers.stream().filter(r -> r.statusCode() == 302)).as("bookings that succeeded").hasSize(1);
        List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() != 302).toList();
        assertThat(refused).hasSize(BOOKERS - 1).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.body()).contains("nhsuk-error-summary", "already been booked by someone else");
        });
        assertThat(jdbc.queryForObject("select count(*) from rostering.shift where id = ? and status = 'BOOKED'",
                Integer.class, shift)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from rostering.shift_event where event = 'shift-booked'",
                Integer.class)).isEqualTo(1);
    }

    @Test
    void onePersonBookingOverlappingShiftsAtOnceGetsOnlyOne() throws Exception {
        long early = fixture.vacancy(nextWeek, ShiftKind.EARLY, false);
        long longDay = fixture.vacancy(nextWeek, ShiftKind.LONG_DAY, false);
        long late = fixture.vacancy(nextWeek, ShiftKind.LATE, false);
        RosteringFixture.Phone phone = fixture.phone(TestTokens.Caller.staff("Practitioner/bank-c1",
                AccessRole.REGISTERED_NURSE));
        phone.get("/shifts");

        List<HttpResponse<String>> answers = together(List.of(() -> phone.book(early), () -> phone.book(longDay),
                () -> phone.book(late), () -> phone.book(early), () -> phone.book(longDay), () -> phone.book(late)));

        assertThat(answers.stream().filter(r -> r.statusCode() == 302)).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from rostering.shift where practitioner_id = 'bank-c1'",
                Integer.class)).isEqualTo(1);
    }

    /** Runs the calls on their own threads, all released at the same instant. */
    private static List<HttpResponse<String>> together(
            List<java.util.concurrent.Callable<HttpResponse<String>>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        CountDownLatch ready = new CountDownLatch(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (var call : calls) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.call();
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> f : futures) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
