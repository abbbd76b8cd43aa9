package org.charnwood.scheduling.visits;

import org.charnwood.scheduling.generator.DistrictNursingDays;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TeamPartitionTests {

    @Test
    void splitsALargeCountyDayIntoTeamsByNearestBase() {
        VisitProblem county = DistrictNursingDays.generate(1, 100, 1000);
        List<VisitProblem> teams = TeamPartition.split(county, 400);

        assertThat(teams).hasSize(4);
        assertThat(teams).allSatisfy(t -> assertThat(t.staff()).hasSize(25));
        assertThat(teams.stream().mapToInt(t -> t.visits().size()).sum()).isEqualTo(1000);
    }

    @Test
    void leavesASmallOrSingleBaseDayWhole() {
        assertThat(TeamPartition.split(DistrictNursingDays.generate(1, 100, 300), 400)).hasSize(1);
        assertThat(TeamPartition.split(DistrictNursingDays.locality(1), 100)).hasSize(1);
    }
}
