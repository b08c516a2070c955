import { useContext } from 'react';
import { type OpenWork, OpenWorkContext } from '../components/OpenWorkProvider';

export function useOpenWork(): OpenWork {
  return useContext(OpenWorkContext);
}
