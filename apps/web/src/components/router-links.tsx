import { Anchor, Button } from '@mantine/core';
import type { AnchorProps, ButtonProps } from '@mantine/core';
import { createLink } from '@tanstack/react-router';
import type { AnchorHTMLAttributes, Ref } from 'react';

type AnchorElementProps = AnchorProps &
  Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'color' | 'style'> & {
    ref?: Ref<HTMLAnchorElement>;
  };

function RoutedAnchor(props: AnchorElementProps) {
  return <Anchor component="a" {...props} />;
}

type ButtonElementProps = ButtonProps &
  Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'color' | 'style'> & {
    ref?: Ref<HTMLAnchorElement>;
  };

function RoutedButton(props: ButtonElementProps) {
  return <Button component="a" {...props} />;
}

/** A Mantine text link to a route, with the route's params and search checked by type. */
export const AnchorLink = createLink(RoutedAnchor);

/** A Mantine button that navigates to a route, with params and search checked by type. */
export const ButtonLink = createLink(RoutedButton);
