/**
 * The auth module's facade: one-time codes (issue, verify, their policy) and bearer sessions.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { DAILY_LOCK_DETAIL, issueOtp, OTP_POLICY, otpAttemptsLeft, unlockOtpPhone, verifyOtp } from './otp.js';
export { createSession, deleteSession, findSession, findSessionParticipant, lockSession, sessionParticipant, signOut } from './session.js';
