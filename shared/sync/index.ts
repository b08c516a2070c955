export { type CreateCrmDatabaseOptions, type CrmDatabase, createCrmDatabase } from './database';
export { CrmValidationError, isCrmValidationError } from './errors';
