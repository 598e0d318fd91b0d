package org.dataflex.algorithms.select;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * {@code custom}: loads a user's {@link Selector} named by the param {@code class_name} (fully qualified, on the
 * classpath). The class needs a public constructor taking {@code Map<String, Object>} (it gets the params without
 * {@code class_name} and {@code cache_dir}) or, when there are no other params, a public no-arg constructor.
 * Without {@code class_name} it is the reference's {@link TemplateSelector}.
 */
final class CustomSelectorLoader {
    static final String NAME = "custom";
    static final String CLASS_NAME = "class_name";

    private CustomSelectorLoader() {}

    static Selector load(Map<String, Object> params) {
        Object className = params == null ? null : params.get(CLASS_NAME);
        if (className == null) return TemplateSelector.fromParams(params);
        if (!(className instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException("selector 'custom': parameter 'class_name' must be a fully qualified"
                    + " class name, got " + JsonNumbers.describe(className));
        }
        // Everything besides class_name and cache_dir belongs to the user class; it validates its own keys.
        Map<String, Object> userParams = new SelectorParams(NAME, params, params.keySet())
                .without(CLASS_NAME, SelectorParams.CACHE_DIR);
        Class<?> type = findClass(name.trim());
        if (!Selector.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("selector 'custom': class_name " + type.getName() + " does not implement "
                    + Selector.class.getName());
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("selector 'custom': class_name " + type.getName()
                    + " is abstract; name a concrete class");
        }
        return instantiate(type.asSubclass(Selector.class), userParams);
    }

    private static Class<?> findClass(String name) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(name, true, context != null ? context : CustomSelectorLoader.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            try {
                return Class.forName(name, true, CustomSelectorLoader.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError again) {
                throw new IllegalArgumentException("selector 'custom': class_name " + name + " was not found on the"
                        + " classpath (add its jar, e.g. with spark-submit --jars, and check the spelling)", again);
            }
        }
    }

    private static Selector instantiate(Class<? extends Selector> type, Map<String, Object> userParams) {
        Constructor<? extends Selector> withParams = publicConstructor(type, Map.class);
        Constructor<? extends Selector> noArgs = publicConstructor(type);
        try {
            if (withParams != null) return withParams.newInstance(userParams);
            if (noArgs != null) {
                if (!userParams.isEmpty()) {
                    throw new IllegalArgumentException("selector 'custom': " + type.getName() + " takes no parameters"
                            + " (only a public no-arg constructor) but params " + userParams.keySet() + " were given;"
                            + " add a public constructor taking Map<String, Object>");
                }
                return noArgs.newInstance();
            }
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException illegal) throw illegal;
            throw new IllegalArgumentException("selector 'custom': constructing " + type.getName() + " failed: "
                    + cause, cause);
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalArgumentException("selector 'custom': cannot construct " + type.getName() + ": " + e, e);
        }
        throw new IllegalArgumentException("selector 'custom': " + type.getName() + " has no usable constructor;"
                + " it needs a public constructor taking Map<String, Object> or a public no-arg constructor");
    }

    private static Constructor<? extends Selector> publicConstructor(Class<? extends Selector> type,
                                                                     Class<?>... parameterTypes) {
        if (!Modifier.isPublic(type.getModifiers())) return null;
        try {
            Constructor<? extends Selector> constructor = type.getConstructor(parameterTypes);
            return Modifier.isPublic(constructor.getModifiers()) ? constructor : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
