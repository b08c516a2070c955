/**
 * The device's list of possible duplicates as stored (a local list, `detect.ts` keeps it current). Apart
 * from the detection, so the app shell can show the list's count without loading the detection's code.
 */
import type { Observable } from 'rxjs';
import type { CrmDatabase } from '../crm-database';
import { localList } from '../local-list';
import type { DuplicatePair } from './pairs';

export type ListedDuplicatePair = DuplicatePair & { at: number };

export const pairList = (db: CrmDatabase) => localList<ListedDuplicatePair>(db, 'duplicate-pairs');

/** The possible duplicates this device knows, oldest first; emits again after every change. */
export function duplicatePairs$(db: CrmDatabase): Observable<ListedDuplicatePair[]> {
  return pairList(db).items$;
}

export function duplicatePairs(db: CrmDatabase): Promise<ListedDuplicatePair[]> {
  return pairList(db).all();
}
