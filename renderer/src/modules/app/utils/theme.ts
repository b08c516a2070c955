import { createTheme, type Theme } from '@mui/material/styles';

export type ColorMode = 'light' | 'dark';

export function createAppTheme(mode: ColorMode): Theme {
  return createTheme({
    palette: {
      mode,
      primary: { main: mode === 'light' ? '#1d4ed8' : '#93b4ff' },
      secondary: { main: mode === 'light' ? '#7c3aed' : '#c4b5fd' },
      // Light mode: darker tones than MUI's defaults so outlined chips and text on white keep a 4.5:1 contrast.
      ...(mode === 'light'
        ? {
            info: { main: '#0369a1' },
            success: { main: '#15803d' },
            warning: { main: '#b45309' },
            error: { main: '#b91c1c' },
          }
        : {}),
      background:
        mode === 'light'
          ? { default: '#f6f7f9', paper: '#ffffff' }
          : { default: '#0f1115', paper: '#171a21' },
    },
    shape: { borderRadius: 8 },
    typography: {
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    },
    components: {
      MuiButton: {
        defaultProps: { disableElevation: true },
        styleOverrides: { root: { textTransform: 'none' } },
      },
      MuiTextField: { defaultProps: { size: 'small', fullWidth: true } },
    },
  });
}
