package org.charnwood.app.triage;

import java.time.Instant;

/**
 * A question sent back to the referrer (an information-request Task), and their answer once given.
 *
 * @param taskId     the Task
 * @param referralId the ServiceRequest it is about
 * @param owner      who must answer (the referrer, a FHIR reference)
 * @param askedBy    who asked (a FHIR reference)
 * @param asked      when it was asked
 * @param question   the question
 * @param status     the Task's status: requested until answered, then completed
 * @param answer     the answer, once given
 * @param answered   when it was answered (the Task's last modification once completed)
 */
public record InformationRequest(String taskId, String referralId, String owner, String askedBy, Instant asked,
                                 String question, String status, String answer, Instant answered) {

    public boolean outstanding() {
        return "requested".equals(status) || "received".equals(status) || "accepted".equals(status)
                || "in-progress".equals(status) || "ready".equals(status);
    }
}
