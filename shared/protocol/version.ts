/**
 * The wire protocol version. Every JSON body defined in shared/protocol carries it as `protocol`,
 * and the signed-request canonical string names it, so a future format change is an explicit,
 * detectable break rather than a silent misreading.
 */
export const PROTOCOL_VERSION = 1;
