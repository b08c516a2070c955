import SearchIcon from '@mui/icons-material/Search';
import Button from '@mui/material/Button';
import { bridge } from '@renderer/bridge';
import { fetchedAhead } from '@renderer/modules/app/utils/chunksAhead';
import type { MenuCommand } from '@shared/bridge/types';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { isTyping, modifierKey } from '../shortcuts';

// The two dialogs are chunks of their own (the first screen does not wait for their code), mounted once
// first opened.
const loadGlobalSearch = fetchedAhead(() => import('./GlobalSearch'));
const GlobalSearch = lazy(() => loadGlobalSearch().then((module) => ({ default: module.GlobalSearch })));
const loadShortcutsHelp = fetchedAhead(() => import('./ShortcutsHelp'));
const ShortcutsHelp = lazy(() => loadShortcutsHelp().then((module) => ({ default: module.ShortcutsHelp })));

const views: Record<string, string> = { c: '/contacts', l: '/leads', p: '/pipeline' };
/** A "G then …" sequence waits this long for its second key. */
const SEQUENCE_MS = 1200;

/**
 * The app's keyboard shortcuts and what they open: the global search (Ctrl/Cmd-K, and the app bar's search
 * button) and the shortcuts help (?). The same commands come from the desktop menu over the bridge.
 */
export function KeyboardShortcuts() {
  const navigate = useNavigate();
  const location = useLocation();
  const [searchOpen, setSearchOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [searchShown, setSearchShown] = useState(false);
  const [helpShown, setHelpShown] = useState(false);
  if (searchOpen && !searchShown) setSearchShown(true);
  if (helpOpen && !helpShown) setHelpShown(true);
  const pendingG = useRef(0);
  const path = useRef(location.pathname);
  path.current = location.pathname;

  useEffect(() => {
    const newRecord = () => navigate(path.current.startsWith('/contacts') ? '/contacts/new' : '/leads/new');
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setSearchOpen(true);
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (document.querySelector('[role="dialog"]')) return;
      const key = event.key.toLowerCase();
      if (Date.now() - pendingG.current < SEQUENCE_MS && views[key]) {
        pendingG.current = 0;
        event.preventDefault();
        navigate(views[key]!);
        return;
      }
      if (key === 'g') pendingG.current = Date.now();
      else if (event.key === '?') setHelpOpen(true);
      else if (key === 'n') {
        event.preventDefault();
        newRecord();
      } else if (event.key === '/') {
        const search = document.querySelector<HTMLInputElement>('main input[type="search"]');
        if (search) {
          event.preventDefault();
          search.focus();
          search.select();
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    const unsubscribe = bridge.onMenuCommand((command: MenuCommand) => {
      if (command === 'search-everywhere') setSearchOpen(true);
      else if (command === 'show-shortcuts') setHelpOpen(true);
      else if (command === 'open-contacts') navigate('/contacts');
      else if (command === 'open-leads') navigate('/leads');
      else if (command === 'open-pipeline') navigate('/pipeline');
    });
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      unsubscribe();
    };
  }, [navigate]);

  return (
    <>
      <Button
        color="inherit"
        variant="outlined"
        startIcon={<SearchIcon />}
        onClick={() => setSearchOpen(true)}
        aria-keyshortcuts={modifierKey === '⌘' ? 'Meta+K' : 'Control+K'}
        sx={{
          mr: 2,
          textTransform: 'none',
          borderColor: 'rgba(255,255,255,0.5)',
          minWidth: { md: 260 },
          justifyContent: 'flex-start',
        }}
      >
        Search everywhere… ({modifierKey} K)
      </Button>
      {searchShown && (
        <Suspense fallback={null}>
          <GlobalSearch open={searchOpen} onClose={() => setSearchOpen(false)} />
        </Suspense>
      )}
      {helpShown && (
        <Suspense fallback={null}>
          <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
