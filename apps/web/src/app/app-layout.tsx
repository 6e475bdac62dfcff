import { AppShell, Burger, Container, Group, ScrollArea, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useSuspenseQuery } from '@tanstack/react-query';
import { Navigate, Outlet } from '@tanstack/react-router';
import { BrandMark } from '../components/brand-mark.tsx';
import { meQuery } from '../modules/auth/auth-queries.ts';
import { MeContext } from './me-context.tsx';
import { MainNav } from './main-nav.tsx';
import classes from './skip-link.module.css';
import { UserMenu } from './user-menu.tsx';

/** The signed-in frame: header with organisation and account, navigation, page content. */
export function AppLayout() {
  const { data: me } = useSuspenseQuery(meQuery);
  const [isNavOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);

  if (!me) return <Navigate to="/sign-in" />;

  return (
    <MeContext value={me}>
      <a href="#main-content" className={classes.skipLink}>
        Skip to content
      </a>
      <AppShell
        header={{ height: 60 }}
        navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !isNavOpen } }}
        padding={{ base: 'sm', sm: 'lg' }}
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
            <Group gap="sm" wrap="nowrap" miw={0}>
              <Burger
                opened={isNavOpen}
                onClick={toggleNav}
                hiddenFrom="sm"
                size="sm"
                aria-label={isNavOpen ? 'Close navigation' : 'Open navigation'}
                aria-expanded={isNavOpen}
                aria-controls="main-navigation"
              />
              <BrandMark isCompact />
              <Text c="dimmed" truncate>
                {me.org.name}
              </Text>
            </Group>
            <UserMenu />
          </Group>
        </AppShell.Header>
        <AppShell.Navbar id="main-navigation" p="sm" aria-label="Main">
          {/* The navigation is longer than a laptop screen is tall: it scrolls on its own. */}
          <AppShell.Section grow component={ScrollArea} type="auto">
            <MainNav onNavigate={closeNav} />
          </AppShell.Section>
        </AppShell.Navbar>
        <AppShell.Main id="main-content" tabIndex={-1}>
          <Container size="lg" px={0}>
            <Outlet />
          </Container>
        </AppShell.Main>
      </AppShell>
    </MeContext>
  );
}
