// The theme variables VS Code sets on a webview's <html>, for the themes the screenshots use
// (values from Dark Modern, Light Modern and Dark High Contrast).
export type ThemeName = 'dark' | 'light' | 'hc';

const shared: Record<string, string> = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
};

const themes: Record<ThemeName, { bodyClass: string; colors: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    colors: {
      'sideBar-background': '#181818', foreground: '#cccccc', descriptionForeground: '#9d9d9d', focusBorder: '#0078d4',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff12',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
      'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc',
      'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#989898',
      'inputValidation-warningBackground': '#352a05', 'inputValidation-warningBorder': '#b89500',
      'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100', errorForeground: '#f85149',
      'list-hoverBackground': '#2a2d2e', 'list-inactiveSelectionBackground': '#37373d', 'textCodeBlock-background': '#2b2b2b', 'widget-border': '#313131', 'panel-border': '#2b2b2b',
      'sideBarSectionHeader-border': '#2b2b2b', 'editor-background': '#1f1f1f',
      'charts-blue': '#3794ff', 'charts-green': '#89d185', 'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700',
      'editor-findMatchHighlightBackground': '#ea5c0055', 'editor-wordHighlightBackground': '#575757b8', 'editorWarning-foreground': '#cca700',
      'editorGroupHeader-tabsBackground': '#181818', 'testing-iconPassed': '#73c991', disabledForeground: '#cccccc80',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    colors: {
      'sideBar-background': '#f8f8f8', foreground: '#3b3b3b', descriptionForeground: '#717171', focusBorder: '#005fb8',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
      'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8',
      'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
      'inputValidation-warningBackground': '#f6f5d2', 'inputValidation-warningBorder': '#b89500',
      'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100', errorForeground: '#e51400',
      'list-hoverBackground': '#f2f2f2', 'list-inactiveSelectionBackground': '#e4e6f1', 'textCodeBlock-background': '#f8f8f8', 'widget-border': '#e5e5e5', 'panel-border': '#e5e5e5',
      'sideBarSectionHeader-border': '#e5e5e5', 'editor-background': '#ffffff',
      'charts-blue': '#1a85ff', 'charts-green': '#388a34', 'charts-orange': '#d18616', 'charts-purple': '#652d90', 'charts-red': '#e51400', 'charts-yellow': '#bf8803',
      'editor-findMatchHighlightBackground': '#ea5c0033', 'editor-wordHighlightBackground': '#57575725', 'editorWarning-foreground': '#bf8803',
      'editorGroupHeader-tabsBackground': '#f8f8f8', 'testing-iconPassed': '#388a34', disabledForeground: '#61616180',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    colors: {
      'sideBar-background': '#000000', foreground: '#ffffff', descriptionForeground: '#ffffffb3', focusBorder: '#f38518',
      contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-hoverBackground': '#000000',
      'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#000000',
      'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff',
      'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'input-placeholderForeground': '#ffffffb3',
      'inputValidation-warningBackground': '#000000', 'inputValidation-warningBorder': '#6fc3df',
      'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#6fc3df', errorForeground: '#f48771',
      'textCodeBlock-background': '#000000', 'widget-border': '#6fc3df', 'panel-border': '#6fc3df', 'sideBarSectionHeader-border': '#6fc3df',
      'editor-background': '#000000',
      'charts-blue': '#3794ff', 'charts-green': '#89d185', 'charts-orange': '#d18616', 'charts-purple': '#b180d7', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700',
      'editorWarning-foreground': '#ff0000', 'testing-iconPassed': '#73c991', disabledForeground: '#a5a5a5',
    },
  },
};

/** Applies a theme as VS Code does: variables on <html>, a theme class on <body>. */
export function applyTheme(name: ThemeName): void {
  const theme = themes[name];
  const style = document.documentElement.style;
  for (const [key, value] of Object.entries({ ...shared, ...theme.colors })) style.setProperty(`--vscode-${key.replace(/\./gu, '-')}`, value);
  document.body.classList.add(theme.bodyClass);
}
