/**
 * Types, permissions, annotations and the API client shared by the ML Governance plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './provenance';
export * from './annotations';
export * from './permissions';
export * from './api';
export * from './client';
export * from './promotion';
export * from './modelApiProbes';
