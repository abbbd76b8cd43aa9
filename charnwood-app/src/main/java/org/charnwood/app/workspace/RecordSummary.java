package org.charnwood.app.workspace;

import java.util.List;

/** The patient's record at a glance: each list is ready to show, newest first unless said otherwise. */
record RecordSummary(List<Row> problems, List<Row> allergies, List<Row> medications, List<Row> observations,
                     News2Trend news2, List<Row> carePlans, List<Row> episodes, List<Row> appointments,
                     List<Row> documents, List<Row> contacts) {

    /** One line of a list: what it is, a date, a status or detail, and where to change it (null when not here). */
    record Row(String what, String when, String detail, String change) {

        Row(String what, String when, String detail) {
            this(what, when, detail, null);
        }
    }
}
