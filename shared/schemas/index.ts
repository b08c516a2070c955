export * from './activity';
export * from './collections';
export * from './contact';
export * from './department';
export * from './fields';
export * from './lead';
export * from './rxdb-schema';
export * from './wire';
