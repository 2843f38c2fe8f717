// The certificates module's surface: other modules and the composition root import only from here.
export { formatCertificateNumber, isValidCertificateNumber } from './number.js';
export { certificateForParent, createCertificatesService, ensureCertificateNumberKey } from './service.js';
export type { Certificate, CertificatesService } from './service.js';
