package org.charnwood.app.workspace;

/**
 * An escalation Task waiting for an answer.
 *
 * @param taskId      the Task id, for accept and decline
 * @param description what the score was and what response it needs
 * @param priority    stat, urgent or asap
 * @param level       who is asked now (nurse in charge, doctor on call or team lead)
 * @param status      awaiting response, re-alerted, escalated
 * @param respondBy   when a response is due
 */
record OpenEscalation(String taskId, String description, String priority, String level, String status,
                      String respondBy) {
}
