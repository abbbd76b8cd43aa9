package org.charnwood.scheduling.generator;

import org.charnwood.scheduling.travel.GeoPoint;
import org.charnwood.scheduling.visits.Gender;
import org.charnwood.scheduling.visits.Priority;
import org.charnwood.scheduling.visits.StaffMember;
import org.charnwood.scheduling.visits.VisitProblem;
import org.charnwood.scheduling.visits.VisitRequest;
import org.charnwood.scheduling.visits.VisitStatus;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A Leicestershire district-nursing day: about 25 staff per locality team (bands 3 to 7 with the usual skill mix) and
 * about ten visits per staff member, spread over towns and villages in proportion to their population. The first
 * team is Charnwood (Loughborough, the Soar valley villages and north Leicester); larger problems add the city, the
 * south-west (Hinckley, Coalville) and the east (Melton, Wigston, Oadby, Market Harborough, Rutland and villages).
 */
public final class DistrictNursingDays {

    public static final String CATHETER = "catheter-care";
    public static final String WOUND = "wound-care";
    public static final String SYRINGE_DRIVER = "syringe-driver";
    public static final String INSULIN = "insulin";
    public static final String VENEPUNCTURE = "venepuncture";
    public static final String PEG = "peg-feeding";

    private record Place(String name, double latitude, double longitude, double spreadKm, int weight) {
    }

    private record Team(String name, GeoPoint base, List<Place> places) {
    }

    private static final List<Team> TEAMS = List.of(
            new Team("charnwood", new GeoPoint(52.7680, -1.2000), List.of(
                    new Place("Loughborough", 52.7721, -1.2062, 2.0, 34),
                    new Place("Shepshed", 52.7647, -1.2937, 1.0, 8),
                    new Place("Hathern", 52.7990, -1.2560, 0.4, 2),
                    new Place("Quorn", 52.7446, -1.1716, 0.7, 4),
                    new Place("Mountsorrel", 52.7236, -1.1406, 0.7, 4),
                    new Place("Sileby", 52.7314, -1.1097, 0.7, 4),
                    new Place("Barrow upon Soar", 52.7531, -1.1504, 0.6, 3),
                    new Place("Rothley", 52.7097, -1.1369, 0.6, 3),
                    new Place("Birstall", 52.6746, -1.1196, 0.8, 5),
                    new Place("Anstey", 52.6724, -1.1899, 0.7, 3),
                    new Place("Wymeswold", 52.8050, -1.1110, 0.4, 1),
                    new Place("Long Whatton", 52.8060, -1.2839, 0.3, 1),
                    new Place("Woodhouse Eaves", 52.7330, -1.2150, 0.3, 1))),
            new Team("city", new GeoPoint(52.6369, -1.1398), List.of(
                    new Place("Leicester centre", 52.6369, -1.1398, 2.0, 30),
                    new Place("Beaumont Leys", 52.6660, -1.1610, 1.2, 10),
                    new Place("Braunstone", 52.6230, -1.1800, 1.0, 10),
                    new Place("Evington", 52.6260, -1.0850, 1.0, 10),
                    new Place("Belgrave", 52.6550, -1.1250, 1.0, 10))),
            new Team("south-west", new GeoPoint(52.5900, -1.2700), List.of(
                    new Place("Hinckley", 52.5413, -1.3725, 1.5, 20),
                    new Place("Coalville", 52.7219, -1.3707, 1.5, 15),
                    new Place("Ashby-de-la-Zouch", 52.7460, -1.4760, 0.8, 6),
                    new Place("Earl Shilton", 52.5770, -1.3150, 0.7, 5),
                    new Place("Narborough", 52.5720, -1.2030, 0.6, 4),
                    new Place("Lutterworth", 52.4556, -1.2000, 0.7, 5),
                    new Place("Market Bosworth", 52.6240, -1.4010, 0.4, 2))),
            new Team("east", new GeoPoint(52.6500, -0.9500), List.of(
                    new Place("Melton Mowbray", 52.7661, -0.8866, 1.5, 14),
                    new Place("Wigston", 52.5869, -1.1033, 1.2, 15),
                    new Place("Oadby", 52.6061, -1.0792, 1.0, 12),
                    new Place("Market Harborough", 52.4775, -0.9206, 1.2, 12),
                    new Place("Oakham", 52.6705, -0.7279, 0.8, 5),
                    new Place("Uppingham", 52.5880, -0.7230, 0.5, 3),
                    new Place("Kibworth", 52.5390, -0.9950, 0.5, 3),
                    new Place("Great Glen", 52.5760, -1.0330, 0.4, 2),
                    new Place("Syston", 52.6995, -1.0768, 0.9, 6),
                    new Place("Asfordby", 52.7628, -0.9537, 0.5, 2),
                    new Place("Bottesford", 52.9436, -0.8011, 0.5, 1),
                    new Place("Waltham on the Wolds", 52.8189, -0.8136, 0.3, 1))));

    private record VisitKind(String skill, int minutes, int minimumBand, Priority priority, int weight) {
    }

    private static final List<VisitKind> KINDS = List.of(
            new VisitKind(INSULIN, 10, 4, Priority.HIGH, 18),
            new VisitKind(WOUND, 30, 4, Priority.ROUTINE, 35),
            new VisitKind(CATHETER, 30, 5, Priority.ROUTINE, 10),
            new VisitKind(VENEPUNCTURE, 15, 3, Priority.ROUTINE, 15),
            new VisitKind(SYRINGE_DRIVER, 45, 5, Priority.HIGH, 8),
            new VisitKind(PEG, 30, 5, Priority.ROUTINE, 5),
            new VisitKind(null, 60, 6, Priority.ROUTINE, 5),
            new VisitKind(CATHETER, 30, 5, Priority.URGENT, 2),
            new VisitKind(WOUND, 30, 5, Priority.URGENT, 2));

    private DistrictNursingDays() {
    }

    /** About 25 staff and 250 visits: one locality team's day. */
    public static VisitProblem locality(long seed) {
        return generate(seed, 25, 250);
    }

    public static VisitProblem generate(long seed, int staffCount, int visitCount) {
        Random random = new Random(seed);
        int teams = Math.max(1, Math.min(TEAMS.size(), Math.round(staffCount / 25f)));
        List<StaffMember> staff = new ArrayList<>();
        List<List<String>> teamStaff = new ArrayList<>();
        for (int t = 0; t < teams; t++) {
            teamStaff.add(new ArrayList<>());
        }
        for (int i = 0; i < staffCount; i++) {
            int t = i % teams;
            StaffMember member = staffMember(random, i, TEAMS.get(t).base());
            staff.add(member);
            teamStaff.get(t).add(member.id());
        }
        List<VisitRequest> visits = new ArrayList<>();
        List<String> patients = new ArrayList<>();
        List<GeoPoint> homes = new ArrayList<>();
        for (int i = 0; i < visitCount; i++) {
            int t = i % teams;
            Team team = TEAMS.get(t);
            String patient;
            GeoPoint home;
            if (!patients.isEmpty() && random.nextDouble() < 0.08) {
                // A second visit to someone already on the list (e.g. insulin twice a day).
                int k = random.nextInt(patients.size());
                patient = patients.get(k);
                home = homes.get(k);
            } else {
                patient = "patient-" + (patients.size() + 1);
                home = homeIn(random, team.places());
                patients.add(patient);
                homes.add(home);
            }
            visits.add(visit(random, "visit-" + (i + 1), patient, home, teamStaff.get(t)));
        }
        return new VisitProblem(LocalDate.of(2026, 11, 26), staff, visits);
    }

    private static StaffMember staffMember(Random random, int index, GeoPoint base) {
        // Band mix of a district-nursing team: 2 sisters, 5 band 6, 10 band 5, 3 nursing associates, 5 HCAs per 25.
        int slot = index % 25;
        int band = slot < 2 ? 7 : slot < 7 ? 6 : slot < 17 ? 5 : slot < 20 ? 4 : 3;
        Set<String> skills = new HashSet<>();
        if (band >= 5) {
            skills.addAll(List.of(WOUND, INSULIN, VENEPUNCTURE, CATHETER));
            if (band >= 6 || random.nextDouble() < 0.5) {
                skills.add(SYRINGE_DRIVER);
            }
            if (band >= 6 || random.nextDouble() < 0.3) {
                skills.add(PEG);
            }
        } else if (band == 4) {
            skills.addAll(List.of(WOUND, VENEPUNCTURE));
            if (random.nextDouble() < 0.6) {
                skills.add(INSULIN);
            }
        } else {
            skills.add(VENEPUNCTURE);
            if (random.nextDouble() < 0.5) {
                skills.add(INSULIN);
            }
        }
        Gender gender = random.nextDouble() < 0.85 ? Gender.FEMALE : Gender.MALE;
        double pattern = random.nextDouble();
        LocalTime start;
        LocalTime end;
        LocalTime breakStart;
        if (pattern < 0.6) {
            start = LocalTime.of(8, 0);
            end = LocalTime.of(16, 30);
            breakStart = LocalTime.of(12, 30);
        } else if (pattern < 0.85) {
            start = LocalTime.of(9, 0);
            end = LocalTime.of(17, 30);
            breakStart = LocalTime.of(13, 0);
        } else {
            start = LocalTime.of(8, 0);
            end = LocalTime.of(13, 0);
            breakStart = null;
        }
        Duration breakLength = breakStart == null ? Duration.ZERO : Duration.ofMinutes(30);
        Duration working = Duration.between(start, end).minus(breakLength);
        return new StaffMember("staff-" + (index + 1), "Staff " + (index + 1), skills, band, gender, base, start, end,
                breakStart, breakLength, 14, working);
    }

    private static GeoPoint homeIn(Random random, List<Place> places) {
        int total = places.stream().mapToInt(Place::weight).sum();
        int pick = random.nextInt(total);
        Place place = places.get(0);
        for (Place p : places) {
            pick -= p.weight();
            if (pick < 0) {
                place = p;
                break;
            }
        }
        double km = Math.abs(random.nextGaussian()) * place.spreadKm() / 1.5;
        double bearing = random.nextDouble() * 2 * Math.PI;
        double dLat = km * Math.cos(bearing) / 111.2;
        double dLon = km * Math.sin(bearing) / (111.2 * Math.cos(Math.toRadians(place.latitude())));
        return new GeoPoint(place.latitude() + dLat, place.longitude() + dLon);
    }

    private static VisitRequest visit(Random random, String id, String patient, GeoPoint home, List<String> team) {
        int total = KINDS.stream().mapToInt(VisitKind::weight).sum();
        int pick = random.nextInt(total);
        VisitKind kind = KINDS.get(0);
        for (VisitKind k : KINDS) {
            pick -= k.weight();
            if (pick < 0) {
                kind = k;
                break;
            }
        }
        LocalTime earliest;
        LocalTime latest;
        if (kind.priority() == Priority.URGENT) {
            earliest = LocalTime.of(8, 30).plusMinutes(15L * random.nextInt(22));
            latest = earliest.plusHours(2);
        } else if (INSULIN.equals(kind.skill())) {
            boolean morning = random.nextBoolean();
            earliest = morning ? LocalTime.of(8, 0) : LocalTime.of(11, 30);
            latest = morning ? LocalTime.of(9, 45) : LocalTime.of(12, 45);
        } else if (VENEPUNCTURE.equals(kind.skill())) {
            // Samples must reach the laboratory transport.
            earliest = LocalTime.of(8, 0);
            latest = LocalTime.of(11, 30);
        } else {
            double w = random.nextDouble();
            earliest = w < 0.4 ? LocalTime.of(8, 0) : w < 0.7 ? LocalTime.of(8, 0) : LocalTime.of(12, 30);
            latest = w < 0.4 ? LocalTime.of(15, 30) : w < 0.7 ? LocalTime.of(12, 0) : LocalTime.of(16, 0);
        }
        Set<String> skills = kind.skill() == null ? Set.of() : Set.of(kind.skill());
        Gender preferred = random.nextDouble() < 0.05 ? Gender.FEMALE : null;
        List<String> previous = new ArrayList<>();
        if (random.nextDouble() < 0.6 && !team.isEmpty()) {
            previous.add(team.get(random.nextInt(team.size())));
            if (random.nextBoolean()) {
                previous.add(team.get(random.nextInt(team.size())));
            }
        }
        return new VisitRequest(id, patient, home, Duration.ofMinutes(kind.minutes()), earliest, latest,
                kind.priority(), skills, kind.minimumBand(), preferred, previous, VisitStatus.PLANNED, null);
    }
}
