import { Component, type ReactNode } from 'react';
import { t } from '../strings';

/** A screen that throws shows its error instead of blanking the whole app. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (this.state.error) {
      return (
        <div className="error" role="alert">
          {t('error.screen')} {this.state.error.message}
        </div>
      );
    }
    return this.props.children;
  }
}
