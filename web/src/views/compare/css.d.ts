// Vite bundles CSS imported for side effects; tell TypeScript such imports exist.
declare module '*.css';
