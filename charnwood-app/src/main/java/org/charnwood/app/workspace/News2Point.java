package org.charnwood.app.workspace;

import java.time.Instant;

/**
 * One NEWS2 score as the pages show it.
 *
 * @param at    when the observations were taken
 * @param when  the time as read
 * @param total the aggregate score 0–20
 * @param risk  the clinical risk code (low, low-medium, medium, high)
 */
record News2Point(Instant at, String when, int total, String risk) {

    public String riskLabel() {
        return switch (risk == null ? "" : risk) {
            case "high" -> "High";
            case "medium" -> "Medium";
            case "low-medium" -> "Low-medium";
            case "low" -> "Low";
            default -> "Not stated";
        };
    }
}
