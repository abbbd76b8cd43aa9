package org.charnwood.app.repository;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the relay tells every node when it has delivered a batch of the outbox: which node relayed it and the
 * sequence numbers, as runs ({@code node:12-40,43,45-46}). The rows themselves are read from the outbox, so a notice
 * names no resource and no patient. PostgreSQL refuses a notification payload of 8000 bytes or more, so a long list
 * is split into several notices.
 */
final class ChangeNotices {

    /** The PostgreSQL channel every node listens on. */
    static final String CHANNEL = "charnwood_changes";
    /** Well under PostgreSQL's limit; notices are ASCII, so characters are bytes. */
    static final int MAX_PAYLOAD = 7000;

    /** One notice: who relayed the changes, and the runs of sequence numbers ({@code from[i]..to[i]}) delivered. */
    record Notice(String node, long[] from, long[] to) {
    }

    private ChangeNotices() {
    }

    /** The notices for the delivered sequence numbers, in order, each under {@link #MAX_PAYLOAD}. */
    static List<String> payloads(String node, long[] sequences) {
        long[] sorted = sequences.clone();
        Arrays.sort(sorted);
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder(node).append(':');
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] <= sorted[j] + 1) {
                j++;
            }
            String run = sorted[i] == sorted[j] ? Long.toString(sorted[i]) : sorted[i] + "-" + sorted[j];
            if (payload.length() > node.length() + 1 && payload.length() + 1 + run.length() > MAX_PAYLOAD) {
                payloads.add(payload.toString());
                payload = new StringBuilder(node).append(':');
            }
            if (payload.length() > node.length() + 1) {
                payload.append(',');
            }
            payload.append(run);
            i = j + 1;
        }
        if (payload.length() > node.length() + 1) {
            payloads.add(payload.toString());
        }
        return payloads;
    }

    /** The notice a payload carries; null when it is not one (anyone with the database can notify this channel). */
    static Notice parse(String payload) {
        int colon = payload == null ? -1 : payload.indexOf(':');
        if (colon <= 0 || colon == payload.length() - 1) {
            return null;
        }
        String[] runs = payload.substring(colon + 1).split(",");
        long[] from = new long[runs.length];
        long[] to = new long[runs.length];
        try {
            for (int i = 0; i < runs.length; i++) {
                int dash = runs[i].indexOf('-', 1);
                from[i] = Long.parseLong(dash < 0 ? runs[i] : runs[i].substring(0, dash));
                to[i] = dash < 0 ? from[i] : Long.parseLong(runs[i].substring(dash + 1));
                if (to[i] < from[i]) {
                    return null;
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return new Notice(payload.substring(0, colon), from, to);
    }
}
