export * from './certificate-pdf';
export * from './dc3-pdf';
export { printTimeZone } from './printing';
