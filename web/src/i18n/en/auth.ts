/** English · auth: Signing in and passwords: the sign-in page and the change-password dialog. */
import type zh from '../zh/auth';

export default {
  // user menu
  changePassword: 'Change password',
  // login
  signIn: 'Sign in',
  signInTitle: 'Sign in to Shouwang',
  password: 'Password',
  usernameRequired: 'Enter your username',
  passwordRequired: 'Enter your password',
  demoTitle: 'Demo mode',
  demoText:
    'This instance runs in demo mode with generated data over the demo city (Macau). Every demo account below uses the password {{password}}; click one to fill in the form.',
  demoPick: 'Demo accounts',
  loginFooter: 'For authorised personnel only. Every sign-in and action is recorded in the audit log.',
  // password
  currentPassword: 'Current password',
  newPassword: 'New password',
  confirmPassword: 'Confirm new password',
  passwordMin: 'At least 8 characters',
  passwordMismatch: 'The passwords do not match',
  passwordChanged: 'Password changed',
  mustChangePassword: 'Your password must be changed; please set a new one now.',
} satisfies Record<keyof typeof zh, string>;
