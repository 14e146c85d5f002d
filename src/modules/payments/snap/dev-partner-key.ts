/**
 * DEVELOPMENT ONLY: the public half of a test RSA key pair standing in for a bank's SNAP signing key, so the access
 * token endpoint works on a laptop and in tests. Its private half is test/fixtures/snap-partner-dev-private.pem —
 * public in this repository, so production refuses to start without SNAP_PARTNER_PUBLIC_KEY set to the bank's own key.
 */
export const DEV_SNAP_PARTNER_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzkPoG8GCdtkVHFlOZkbp
KVJLP7T0qBbKRB5KRHpu2XP/S4lnh/g5NjiLPUCk0yaJgkif1BGegmuImE/FDOxX
FbpK6TlitGIZgp7k+Rl4oHkF/i+5EAGZwahVw5Efgcy0VC5aGUcTfkg8RLlSX3sh
Nn9BN20HAlX4AvXG7j1097vEKXj9Mm8VR5AlBIo0DGS9OMv416vhT1WBNcAa4WBp
tOvJ5K5iAa7BKPp+DMCowazqNgtp2q8urtCDFteG15wFSayZ5Jgi8azL32Gh/u06
dlWAhO9EKsEqmSGuUV0MzTERrLSEoTVt3PkaMHNod0X8djtTSR6vdVSND9mI4emC
NwIDAQAB
-----END PUBLIC KEY-----
`;
