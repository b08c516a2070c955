import { createTheme, type Theme } from '@mui/material/styles';

export type ColorMode = 'light' | 'dark';

export function createAppTheme(mode: ColorMode): Theme {
  return createTheme({
    palette: {
      mode,
      primary: { main: mode === 'light' ? '#1d4ed8' : '#93b4ff' },
      secondary: { main: mode === 'light' ? '#7c3aed' : '#c4b5fd' },
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
