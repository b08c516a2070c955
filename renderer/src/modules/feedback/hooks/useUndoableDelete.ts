import { useContext } from 'react';
import { type UndoableDelete, UndoableDeleteContext } from '../components/UndoableDeleteProvider';

export function useUndoableDelete(): UndoableDelete {
  const context = useContext(UndoableDeleteContext);
  if (context === null) throw new Error('useUndoableDelete must be used inside <UndoableDeleteProvider>');
  return context;
}
